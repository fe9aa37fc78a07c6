/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string | number | undefined): string {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
