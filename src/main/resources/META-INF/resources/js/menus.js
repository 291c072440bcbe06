// The header menus are <details> elements: without JavaScript they open and close with Enter or
// a click like any disclosure. This adds what a menu is expected to do as well: Escape closes the
// open menu and puts the focus back on its button, and a click anywhere else closes it.
(function () {
  'use strict';
  var menus = Array.prototype.slice.call(document.querySelectorAll('.account-switch, .user-menu'));
  if (menus.length === 0) {
    return;
  }
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' && event.key !== 'Esc') {
      return;
    }
    menus.forEach(function (menu) {
      if (menu.open) {
        var focusWasInside = menu.contains(document.activeElement);
        menu.open = false;
        if (focusWasInside) {
          menu.querySelector('summary').focus();
        }
      }
    });
  });
  document.addEventListener('click', function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });
})();
