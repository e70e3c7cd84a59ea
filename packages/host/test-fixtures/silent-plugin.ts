// A fixture plugin that connects but never says Hello. It writes to stderr before it loads
// anything, so that the line is there however soon the host gives up on it.
process.stderr.write("started, and going to say nothing\n");
const { runRawPlugin } = await import("./raw-plugin.js");
await runRawPlugin({ sendHello: false });
