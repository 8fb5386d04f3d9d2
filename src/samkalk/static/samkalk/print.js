// The "Print" button of a printable page: shown only where scripts run, so it never does nothing.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
// A printed invoice shows every device, folded or not.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details.devices").forEach((details) => {
    details.open = true;
  });
});
