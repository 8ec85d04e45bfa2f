// The seed's whole menu as disclosure panels (<details>): works with the keyboard and with
// JavaScript off. It is the same on every page, so it is rendered once per year and reused.

import { COUNTRY_GROUPS, countryPath, fieldPath, meetingPath, structurePath } from '../listing/urls.ts';
import type { Catalog, StructureNode } from '../taxonomy/catalog.ts';
import { type Html, html } from '../text/html.ts';

interface Link {
  label: string;
  href: string;
}

interface Group {
  heading: Link | null;
  links: Link[];
}

const structureLink = (node: StructureNode): Link => ({ label: node.name, href: structurePath(node.slug) });

function panel(id: string, label: string, groups: Group[]): Html {
  return html`<li class="menu__item">
<details class="menu__disclosure" id="${id}">
<summary class="menu__toggle">${label}</summary>
<div class="menu__panel">
${groups.map(
  (group, index) =>
    html`<div class="menu__group">${
      group.heading
        ? html`<p class="menu__heading" id="${id}-g${index}"><a href="${group.heading.href}">${group.heading.label}</a></p>`
        : ''
    }<ul class="menu__links"${group.heading ? html` aria-labelledby="${id}-g${index}"` : ''}>${group.links.map(
      (link) => html`<li><a href="${link.href}">${link.label}</a></li>`,
    )}</ul></div>`,
)}
</div>
</details>
</li>`;
}

/** Renders the main menu for the chairpersonship in office at `moment`. */
export function renderMenu(catalog: Catalog, moment: Date): Html {
  const chair = catalog.chairpersonshipAt(moment);
  const byRole = (role: string) => catalog.countries.filter((c) => c.role === role);
  const countryLabel = (country: { id: number; name: string }) =>
    chair?.country?.id === country.id ? `${country.name} – OSCE ${chair.title} ${chair.year}` : country.name;

  const roots = catalog.structureRoots;
  const structureGroups: Group[] = [];
  let loose: Link[] = [];
  for (const root of roots) {
    const expand = root.kind === 'secretariat' || root.kind === 'field-operations-group';
    if (expand) {
      if (loose.length > 0) structureGroups.push({ heading: null, links: loose });
      loose = [];
      structureGroups.push({ heading: structureLink(root), links: root.children.map(structureLink) });
    } else {
      loose.push(structureLink(root));
    }
  }
  loose.push({ label: 'Organizational structure', href: '/structures' }, { label: 'About us', href: '/about-us' });
  structureGroups.push({ heading: null, links: loose });

  return html`<nav class="menu" aria-label="Main">
<ul class="menu__bar">
${panel('menu-work', 'Our work', [
  {
    heading: { label: 'Fields of work', href: '/fields-of-work' },
    links: catalog.fields.map((f) => ({ label: f.name, href: fieldPath(f.slug) })),
  },
  {
    heading: { label: 'Meetings and conferences', href: '/meetings' },
    links: catalog.meetings.map((m) => ({ label: m.name, href: meetingPath(m.slug) })),
  },
])}
${panel('menu-countries', 'Countries', [
  { heading: null, links: [{ label: 'All', href: '/countries' }] },
  {
    heading: { label: COUNTRY_GROUPS['participating-states'].title, href: '/countries/participating-states' },
    links: byRole('participating').map((c) => ({ label: countryLabel(c), href: countryPath(c.slug) })),
  },
  {
    heading: null,
    links: [
      { label: COUNTRY_GROUPS['asian-partners'].title, href: '/countries/asian-partners' },
      { label: COUNTRY_GROUPS['mediterranean-partners'].title, href: '/countries/mediterranean-partners' },
    ],
  },
])}
${panel('menu-structures', 'Structures and institutions', structureGroups)}
</ul>
</nav>`;
}
