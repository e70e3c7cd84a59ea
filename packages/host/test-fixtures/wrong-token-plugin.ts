// A fixture plugin that presents a token the host never issued.
import { runRawPlugin } from "./raw-plugin.js";

await runRawPlugin({ hello: { token: "0".repeat(64), pluginName: "wrong-token" } });
