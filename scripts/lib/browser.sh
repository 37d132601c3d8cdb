# Debian's chromium for the browser tests (test/console), driven by playwright-core: no browser
# download, ever. Source, don't run.

ensure_browser() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  log "installing Debian chromium (browser tests)"
  apt_install chromium
  [ -x /usr/bin/chromium ] || die "chromium was installed but /usr/bin/chromium is missing"
}
