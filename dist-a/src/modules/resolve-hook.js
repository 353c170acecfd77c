/** A file inside the running harness's package: self-references resolve from there. */
let self = '';
export function initialize(data) {
    self = data.self;
}
export async function resolve(specifier, context, nextResolve) {
    try {
        return await nextResolve(specifier, context);
    }
    catch (e) {
        const ours = specifier === 'iommu-stress' || specifier.startsWith('iommu-stress/');
        if (!ours || self === '' || e.code !== 'ERR_MODULE_NOT_FOUND')
            throw e;
        return nextResolve(specifier, { ...context, parentURL: self });
    }
}
//# sourceMappingURL=resolve-hook.js.map