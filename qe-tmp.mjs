const { QueueFeed } = await import("./dist/src/console/queue-feed.js");
const { queueConfig } = await import("./dist/src/queue/queue-config.js");
const feed = await QueueFeed.start(queueConfig({ redis: "redis://127.0.0.1:16390", prefix: "dbg3" }));
feed.events.on("progress", (e) => console.log("progress", JSON.stringify(e).slice(0, 150)));
await new Promise((r) => setTimeout(r, 14000));
console.log("remote", JSON.stringify(feed.remoteRuns(new Set())).slice(0, 300));
await feed.close();
