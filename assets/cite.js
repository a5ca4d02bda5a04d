// Copy-citation button: progressive enhancement. The citation is plain text on the page;
// this only reveals the button, makes a relative URL absolute and copies the text.
(function () {
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) return;
    var link = target.querySelector("a.cite-url");
    if (link && link.textContent.charAt(0) === "/") link.textContent = link.href;
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(
        function () { if (status) status.textContent = "已复制"; },
        function () { if (status) status.textContent = "复制失败，请手动选择文字"; }
      );
    });
  });
})();
