/** @jsxRuntime automatic @jsxImportSource react */
import { Text, View } from "@react-pdf/renderer";
import type { RunModel } from "../../../../../shared/contract";
import type { Sample } from "../model";
import { Facts, ReportPage, SectionTitle, Table } from "./blocks";
import type { RenderContext } from "./context";
import type { PageSpec } from "./page-spec";
import { dimensionTitle } from "./survey-pages";
import { s } from "./styles";

/** Who the respondents were (synthetic), how they and the answers were made, and how well they match the target. */
export function methodologyPage(r: RenderContext): PageSpec {
  const { t, model } = r;
  const id = "methodology";
  // The samples to validate: each study's respondents, plus the whole report's personas when it spans more.
  const samples: { name: string; sample: Sample }[] = model.sections.map((section) => ({
    name: section.study.name,
    sample: section.study.sample,
  }));
  if (model.scope === "project" || model.scope === "personas" || samples.length === 0) {
    samples.unshift({ name: model.scope === "personas" ? t.personas : model.project.name, sample: model.sample });
  }
  return {
    id,
    toc: { title: t.methodology, level: 0 },
    element: (
      <ReportPage
        key={id}
        r={r}
        header={`${model.project.name} · ${t.methodology}`}
        outline={t.methodology}
        title={<SectionTitle r={r} id={id} title={t.methodology} />}
      >
        <View style={s.panel}>
          <Text style={[s.h3, { marginTop: 0 }]}>{t.disclosureTitle}</Text>
          <Text style={s.paragraph}>{t.disclosureText}</Text>
          <Text style={s.bold}>{t.syntheticData}</Text>
        </View>

        {model.sections.length ? <Text style={s.h2}>{t.studySettings}</Text> : null}
        {model.sections.map((section) => (
          <View key={section.study.id} wrap={false}>
            <Text style={s.h3}>
              {section.kind === "focusGroup" ? t.focusGroup : t.survey}: {section.study.name}
            </Text>
            <Facts
              rows={
                section.kind === "focusGroup"
                  ? [
                      ...recordedModels(
                        r,
                        "discussion",
                        section.models.discussion,
                        section.settings.model,
                        section.messageCount > 0,
                      ),
                      ...(section.analysed || section.models.analysis.length
                        ? recordedModels(r, "analysis", section.models.analysis, section.settings.model, true)
                        : []),
                      [
                        t.seed,
                        section.settings.seedPinned
                          ? String(section.settings.seed)
                          : `${section.settings.seed} (${t.seedDerived})`,
                      ],
                      [t.temperature, r.fmt.number(section.settings.temperature, 1)],
                      [t.discussionRounds, String(section.settings.discussionRounds)],
                      [t.moderatorFollowUps, section.settings.moderatorFollowUps ? t.yes : t.no],
                      [t.participants, String(section.participantIds.length)],
                    ]
                  : [
                      ...recordedModels(r, "survey", section.models, section.model, section.respondents > 0),
                      [t.respondents, String(section.respondents)],
                    ]
              }
            />
            {section.kind === "focusGroup" && section.coModeratorProbes > 0 ? (
              <Text style={s.paragraph}>{t.coModeratorProbes(section.coModeratorProbes)}</Text>
            ) : null}
          </View>
        ))}

        <Text style={s.h2}>{t.howPersonasWereMade}</Text>
        {model.generation.length ? (
          model.generation.map((run, i) => (
            <Text key={i} style={s.paragraph}>
              • {t.generationRun(run.model || "—", run.seed === null ? t.seedNone : String(run.seed), run.personas)}
              {run.models.length ? ` (${run.models.map(t.runModel).join("; ")})` : ""}
            </Text>
          ))
        ) : (
          <Text style={[s.paragraph, s.muted]}>{t.noneFound}</Text>
        )}
        <RefusedDrafts r={r} />

        <Text style={s.h2} minPresenceAhead={80}>
          {t.validationTitle}
        </Text>
        {samples.map(({ name, sample }, i) => (
          <ValidationTable key={i} r={r} name={name} sample={sample} />
        ))}

        <Text style={s.h2} minPresenceAhead={60}>
          {t.limitationsTitle}
        </Text>
        {t.limitations.map((line, i) => (
          <Text key={i} style={s.paragraph}>
            • {line}
          </Text>
        ))}
        <Text style={[s.small, { marginTop: 10 }]}>
          {t.generatedBy(model.appVersion)} · {t.exportDate}: {r.fmt.date(model.exportedAt)}
        </Text>
      </ReportPage>
    ),
  };
}

/**
 * The model rows of a study's settings: what each run recorded it used (model, the version that
 * answered, temperature, seed, prompt version), or, for a run from before models were recorded,
 * what it asked for.
 */
function recordedModels(
  r: RenderContext,
  run: "discussion" | "analysis" | "survey",
  models: RunModel[],
  asked: string | null,
  ran: boolean,
): [string, string][] {
  const { t } = r;
  const label = `${t.model} · ${t.modelsOf[run]}`;
  // Not run yet: the model it will ask for.
  if (!ran && models.length === 0) return [[label, asked ?? t.modelDefault]];
  if (models.length === 0) return [[label, t.modelNotRecorded(asked)]];
  return models.map((m) => [label, t.runModel(m)]);
}

/** How many drafts the runs refused and wrote again, and why: the check of every persona against its slot. */
function RefusedDrafts({ r }: { r: RenderContext }) {
  const { t, model } = r;
  const { accepted, refused, byReason } = model.refusals;
  if (accepted + refused === 0) return null;
  if (refused === 0) return <Text style={s.paragraph}>{t.refusalsNone(accepted)}</Text>;
  return (
    <View wrap={false}>
      <Text style={s.paragraph}>{t.refusalsText(refused, accepted + refused)}</Text>
      <Text style={s.paragraph}>
        {byReason.map((entry) => `${t.refusalReason(entry.reason, entry.dimension)} ${entry.count}`).join(" · ")}
      </Text>
    </View>
  );
}

function ValidationTable({ r, name, sample }: { r: RenderContext; name: string; sample: Sample }) {
  const { t, fmt } = r;
  const validation = sample.validation;
  return (
    <View wrap={false} style={{ marginBottom: 8 }}>
      <Text style={s.h3}>{t.sampleOf(name)}</Text>
      {validation === null ? (
        <Text style={[s.paragraph, s.muted]}>{t.validationNone}</Text>
      ) : (
        <View>
          <Text style={[s.small, { marginBottom: 4 }]}>
            {t.validationText(validation.total, fmt.number(validation.alpha, 2))}
          </Text>
          <Table
            columns={[
              { label: t.dimension, width: "22%" },
              { label: t.categoryCounts, width: "38%" },
              { label: t.chiSquare, width: "10%", numeric: true },
              { label: t.df, width: "6%", numeric: true },
              { label: t.pValue, width: "10%", numeric: true },
              { label: "", width: "14%", numeric: true },
            ]}
            rows={validation.dimensions.map((d) => [
              dimensionTitle(d.dimension),
              d.categories
                .map((c) => `${c.category} ${c.actualCount} (${fmt.percent(c.targetShare * 100)})`)
                .join(" · "),
              d.statistic === null ? "–" : fmt.number(d.statistic),
              String(d.df),
              fmt.pValue(d.pValue),
              t.verdict[d.verdict] ?? d.verdict,
            ])}
          />
          {validation.dimensions.some((d) => d.smallExpectedCounts) ? (
            <Text style={s.small}>{t.validationSmallCounts}</Text>
          ) : null}
        </View>
      )}
    </View>
  );
}
