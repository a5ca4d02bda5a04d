// Search page: Pagefind's UI, reading ?q= so a search can be linked and shared.
(function () {
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var base = root.getAttribute("data-base") || "/";
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: base,
    bundlePath: base + "pagefind/",
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    translations: {
      placeholder: "输入要检索的词语",
      zero_results: "没有找到“[SEARCH_TERM]”",
      many_results: "找到 [COUNT] 篇与“[SEARCH_TERM]”有关的文章",
      one_result: "找到 1 篇与“[SEARCH_TERM]”有关的文章",
      clear_search: "清除",
      load_more: "显示更多结果",
      search_label: "检索本站",
      filters_label: "筛选",
      searching: "正在检索“[SEARCH_TERM]”……"
    }
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
