/* rmsite serve: live reload (not in built sites) */
(function () {
  var seen = null, source = new EventSource("%s");
  function overlay(problems) {
    var box = document.getElementById("rmsite-overlay");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div"); box.id = "rmsite-overlay"; box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:99999;" +
        "background:#2b0d0e;color:#ffdede;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "border-bottom:4px solid #ff6b6b;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last change did not build; showing the last good site.\n\n" + problems.join("\n");
  }
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    overlay(state.problems);
    if (state.problems.length) return;
    if (seen !== null && state.generation !== seen) {
      if (state.css_only) {
        document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
          var url = new URL(link.href); url.searchParams.set("rmsite", state.generation); link.href = url.href;
        });
      } else { location.reload(); return; }
    }
    seen = state.generation;
  };
})();
