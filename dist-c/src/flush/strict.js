/**
 * strict: every unmap invalidates the range in every device's IOTLB at once,
 * under the driver's lock, and waits for it (`--iotlb-ns` a command); the
 * IOVA is free again as soon as unmap returns. What Linux does with
 * iommu.strict=1.
 */
import { defineFlush } from '../api/define.js';
import { UNMAP_FREE } from '../api/types.js';
export const strict = defineFlush({
    name: 'strict',
    summary: 'invalidate on every unmap, under the lock, and wait for it; the IOVA is reusable at once (iommu.strict=1)',
    source: 'drivers/iommu/dma-iommu.c, strict mode',
    create(ctx) {
        return {
            invalidate(tag, off, pages) {
                ctx.invalidateRange(tag, off, pages);
                ctx.waitForInvalidation();
            },
            unmapped() {
                return (1 /* UNMAP_FREE */);
            },
            tick() { },
        };
    },
});
//# sourceMappingURL=strict.js.map