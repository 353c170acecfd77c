export const SUITES = ['locks', 'pgtable'];
//# sourceMappingURL=messages.js.map