/** Everything a shop may change is a custom property or a ::part; nothing else leaks in or out. */
export const STYLES = `
:host{display:block;font:var(--sidecart-font,inherit);color:var(--sidecart-color,inherit)}
:host([hidden]){display:none}
h2{font-size:var(--sidecart-heading-size,1.1em);margin:0 0 var(--sidecart-gap,.75rem)}
ul{list-style:none;margin:0;padding:0;display:grid;gap:var(--sidecart-gap,.75rem);
grid-template-columns:repeat(auto-fill,minmax(var(--sidecart-item-width,10rem),1fr))}
li{display:flex;flex-direction:column;gap:.25rem;padding:var(--sidecart-padding,.5rem);
background:var(--sidecart-background,transparent);border:var(--sidecart-border,1px solid #ddd);
border-radius:var(--sidecart-radius,.5rem)}
img{width:100%;aspect-ratio:1;object-fit:cover;border-radius:calc(var(--sidecart-radius,.5rem)/2)}
a{color:var(--sidecart-link,inherit)}
.price{font-weight:600}
.evidence{font-size:.85em;color:var(--sidecart-muted,#555)}
.empty{margin:0;color:var(--sidecart-muted,#555)}
.total{font-weight:600;margin:var(--sidecart-gap,.75rem) 0 .5rem}
li[data-anchor]{border-style:dashed}
button{font:inherit;cursor:pointer;margin-top:auto;padding:.35rem .6rem;border:0;border-radius:var(--sidecart-radius,.5rem);
background:var(--sidecart-accent,#1a5fb4);color:var(--sidecart-on-accent,#fff)}
:focus-visible{outline:2px solid var(--sidecart-accent,#1a5fb4);outline-offset:2px}
[aria-busy=true] ul{opacity:.5}
`;
