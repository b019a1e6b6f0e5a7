/** @jsxRuntime automatic @jsxImportSource react */
import { Text, View } from "@react-pdf/renderer";
import { BIG_FIVE_TRAITS } from "../../../../../shared/contract/personas";
import type { PersonaCard } from "../model";
import { ReportPage, SectionTitle } from "./blocks";
import { TraitBars } from "./charts";
import type { RenderContext } from "./context";
import type { PageSpec } from "./page-spec";
import { dimensionTitle } from "./survey-pages";
import { COLORS, s } from "./styles";

/** Personas per <Page> element: small layouts (react-pdf's cost grows faster than the blocks on a page). */
const PERSONAS_PER_PAGE = 3;

export function personaPages(r: RenderContext, personas: PersonaCard[]): PageSpec[] {
  const header = `${r.model.project.name} · ${r.t.appendix}`;
  const pages: PageSpec[] = [];
  for (let start = 0; start < Math.max(1, personas.length); start += PERSONAS_PER_PAGE) {
    const chunk = personas.slice(start, start + PERSONAS_PER_PAGE);
    const id = start === 0 ? "appendix" : `appendix-${start}`;
    pages.push({
      id,
      ...(start === 0 ? { toc: { title: r.t.appendix, level: 0 as const } } : {}),
      element: (
        <ReportPage
          key={id}
          r={r}
          header={header}
          {...(start === 0
            ? { outline: r.t.appendix, title: <SectionTitle r={r} id={id} title={r.t.appendix} /> }
            : {})}
        >
          {personas.length === 0 ? <Text style={s.muted}>{r.t.noneFound}</Text> : null}
          {chunk.map((persona, i) => (
            <PersonaView key={persona.id} r={r} persona={persona} first={i === 0} />
          ))}
        </ReportPage>
      ),
    });
  }
  return pages;
}

function PersonaView({ r, persona, first }: { r: RenderContext; persona: PersonaCard; first: boolean }) {
  const { t } = r;
  const facts = [String(persona.age), persona.gender, persona.location, persona.occupation].filter(Boolean).join(" · ");
  const lists: [string, string[]][] = [
    [t.values, persona.values],
    [t.interests, persona.interests],
    [t.concerns, persona.concerns],
  ];
  return (
    <View
      style={{
        marginBottom: 14,
        paddingTop: first ? 0 : 12,
        borderTopWidth: first ? 0 : 0.5,
        borderTopColor: COLORS.rule,
      }}
    >
      <View wrap={false}>
        <Text style={[s.h2, { marginTop: 0, marginBottom: 1 }]}>{persona.name}</Text>
        <Text style={[s.muted, { marginBottom: 4 }]}>{facts}</Text>
        {/* One text per group of facts, not one per fact: the appendix has thousands of them. */}
        <Text style={[s.small, { color: COLORS.accent, marginBottom: 5 }]}>
          {[
            ...Object.entries(persona.demographics).map(
              ([dimension, category]) => `${dimensionTitle(dimension)}: ${category}`,
            ),
            `${t.education}: ${persona.education}`,
            `${t.income}: ${persona.income}`,
          ].join("  ·  ")}
        </Text>
        <View style={s.row}>
          <View style={{ width: 260 }}>
            <Text style={[s.small, s.bold, { marginBottom: 2 }]}>{t.bigFive}</Text>
            <TraitBars
              traits={BIG_FIVE_TRAITS.map((trait) => ({ label: t.traits[trait], value: persona.bigFive[trait] }))}
            />
          </View>
          <Text style={{ flex: 1, fontSize: 8.5 }}>
            {lists.map(([label, items], i) => (
              <Text key={label}>
                {i > 0 ? "\n" : ""}
                <Text style={s.bold}>{label}: </Text>
                {items.join(", ")}
              </Text>
            ))}
          </Text>
        </View>
      </View>
      <Text style={[s.h3, { marginTop: 6 }]} minPresenceAhead={24}>
        {t.story}
      </Text>
      <Text style={s.paragraph}>{persona.backgroundStory}</Text>
      <Text style={{ fontSize: 8.5 }}>
        <Text style={s.bold}>{t.communicationStyle}: </Text>
        {persona.communicationStyle}
        {"\n"}
        <Text style={s.bold}>{t.decisionMakingStyle}: </Text>
        {persona.decisionMakingStyle}
      </Text>
    </View>
  );
}
