// Branding: the preview follows the form as it is typed into (a moment after the last key),
// by submitting the form to the sandboxed preview frame with the Preview button.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-branding-form]");
  const preview = form && form.querySelector("[data-preview]");
  if (!preview) return;
  let timer = null;
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => form.requestSubmit(preview), 600);
  });
});
