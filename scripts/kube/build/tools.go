//go:build tools

// Package tools keeps the control-plane commands in this module's dependency graph
// so `go mod tidy` keeps what `go build k8s.io/kubernetes/cmd/...` needs.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
