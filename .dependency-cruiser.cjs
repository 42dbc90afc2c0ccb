/** Dependency direction: protocols -> modules -> core; storage only through repositories. */
module.exports = {
  forbidden: [
    { name: "protocols-not-storage", severity: "error", comment: "Protocols call services; they never reach storage.", from: { path: "^src/protocols/" }, to: { path: "^src/storage/" } },
    { name: "modules-not-protocols", severity: "error", comment: "Domain modules never depend on a wire protocol.", from: { path: "^src/modules/" }, to: { path: "^src/protocols/" } },
    { name: "core-is-leaf", severity: "error", comment: "core has no I/O and depends on nothing of ours.", from: { path: "^src/core/" }, to: { path: "^src/(modules|protocols|storage|cli)/" } },
    { name: "storage-not-up", severity: "error", comment: "storage knows no module or protocol (table types are merged in by modules).", from: { path: "^src/storage/" }, to: { path: "^src/(modules|protocols|cli)/" } },
    { name: "cli-not-storage", severity: "error", comment: "The CLI calls services, never SQL.", from: { path: "^src/cli/" }, to: { path: "^src/storage/(?!migrate)" } },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true, viaOnly: { pathNot: "^src/(app|protocols/http)\\.ts$" } } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".js"] },
  },
};
