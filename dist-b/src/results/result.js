export const RESULT_SCHEMA = 'iommu-stress/run@2';
//# sourceMappingURL=result.js.map