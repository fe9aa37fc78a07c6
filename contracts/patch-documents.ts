/** The SSM documents patchline's patch tasks run (with and without lifecycle hooks). */
export const PATCH_TASK_DOCUMENTS = ["AWS-RunPatchBaseline", "AWS-RunPatchBaselineWithHooks"] as const;
export type PatchTaskDocument = (typeof PATCH_TASK_DOCUMENTS)[number];
