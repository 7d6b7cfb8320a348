/* global window */
// Stands for the pasted script, loaded before the bundle.
window.nextAuth = { pasted: true };
