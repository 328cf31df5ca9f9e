// What a hostile payload could have smuggled into the report as an element or attribute.
() => {
  const all = [...document.querySelectorAll("*")];
  const handlers = all.flatMap((e) =>
    [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.tagName} ${a.name}`));
  const risky = "iframe, object, embed, base, math, mglyph, textarea, details[open], link, "
    + "meta[http-equiv=refresh], svg script";
  return {
    handlers,
    images: [...document.images].map((i) => i.getAttribute("src"))
      .filter((s) => !s.startsWith("data:image/png;base64,")),
    elements: [...document.querySelectorAll(risky)].map((e) => e.outerHTML.slice(0, 80)),
    javascript_links: [...document.querySelectorAll("[href], [src], [data]")]
      .map((e) => e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("data"))
      .filter((v) => /^\s*(javascript|data:text)/i.test(v)),
    scripts: document.scripts.length,
    hiding_styles: [...document.querySelectorAll("style")]
      .filter((s) => s.textContent.includes("body{display:none}")).length,
    body_height: document.body.getBoundingClientRect().height,
  };
}
