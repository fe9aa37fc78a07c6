/** Escapes text for HTML element content and quoted attribute values (mail bodies, the report, the approval page). */
export function escapeHtml(text: string | number | undefined): string {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
