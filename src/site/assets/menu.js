// Progressive enhancement of the main menu (it works without this file):
// one panel open at a time, Escape closes it and returns focus, a click outside closes it.
(() => {
  const panels = Array.from(document.querySelectorAll('.menu__disclosure'));
  const closeAll = (except) => {
    for (const panel of panels) if (panel !== except) panel.open = false;
  };
  for (const panel of panels) {
    panel.addEventListener('toggle', () => {
      if (panel.open) closeAll(panel);
    });
  }
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const open = panels.find((panel) => panel.open);
    if (!open) return;
    open.open = false;
    open.querySelector('summary')?.focus();
  });
  document.addEventListener('click', (event) => {
    if (!(event.target instanceof Element) || !event.target.closest('.menu')) closeAll(null);
  });
})();
