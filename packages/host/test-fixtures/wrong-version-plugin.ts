// A fixture plugin that speaks only protocol versions 2 and 3.
import { runRawPlugin } from "./raw-plugin.js";

await runRawPlugin({ hello: { minProtocol: 2, maxProtocol: 3, pluginName: "wrong-version" } });
