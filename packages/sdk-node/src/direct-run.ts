// What a plugin prints when it is run by hand, without a host (PROTOCOL.md §2.4.2).

import { relative } from "node:path";

/**
 * directRunHelp is the text a plugin started without POLYPROC_ADDRESS prints on stderr: what
 * happened and how to run it under a host, with the command that started it and, in the
 * example, its first function.
 */
export function directRunHelp(pluginName: string, functionNames: readonly string[]): string {
  const command = startCommand();
  const first = functionNames[0] ?? "someFunction";
  return [
    `${pluginName} is a polyproc plugin: a polyproc host starts it and calls its functions; it does not run on its own`,
    `(POLYPROC_ADDRESS is not set, so no host started it).`,
    ``,
    `Run it under a host, for example from a script:`,
    ``,
    `  import { PluginHost } from "@polyproc/host";`,
    ``,
    `  const host = await PluginHost.start({`,
    `    plugins: [{ name: ${JSON.stringify(pluginName)}, command: [${command.map((arg) => JSON.stringify(arg)).join(", ")}] }],`,
    `  });`,
    `  console.log(await host.call(${JSON.stringify(pluginName)}, ${JSON.stringify(first)}, { /* arguments */ }));`,
    `  await host.close();`,
    ``,
    `Functions: ${functionNames.length > 0 ? functionNames.join(", ") : "(none registered)"}`,
    ``,
  ].join("\n");
}

function startCommand(): string[] {
  const script = process.argv[1];
  const file = script === undefined ? "plugin.js" : relative(process.cwd(), script) || script;
  return ["node", ...process.execArgv, file];
}
