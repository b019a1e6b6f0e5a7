import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Insight, LiveParticipant, PresenceViewer } from "@shared/contract";
import type { LiveViewState } from "@shared/live/live-view-state";
import { ProgressBar } from "../../components/ProgressBar";
import { useFormat } from "../../i18n/format";
import { Avatar } from "../personas/Avatar";
import { usePersonaGender } from "../personas/labels";
import { useDemographicLabels } from "../demographics/labels";

/** Avatars shown before "+n". */
const SHOWN_VIEWERS = 8;

/** Who is watching: an avatar each (initials), name, role and idle state on hover and focus, and the count. */
export function PresenceList({ viewers, you }: { viewers: readonly PresenceViewer[]; you: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  // This viewer first, then in the order they joined.
  const ordered = [...viewers].sort(
    (a, b) => Number(b.id === you) - Number(a.id === you) || a.joinedAt.localeCompare(b.joinedAt),
  );
  const shown = ordered.slice(0, SHOWN_VIEWERS);
  const more = ordered.length - shown.length;
  const describe = (viewer: PresenceViewer) => {
    const role = t(`live.viewer.roles.${viewer.role}`);
    const idle = viewer.state === "idle";
    if (viewer.id === you)
      return t(idle ? "live.viewer.presenceYouIdle" : "live.viewer.presenceYou", { name: viewer.name, role });
    return t(idle ? "live.viewer.presenceEntryIdle" : "live.viewer.presenceEntry", { name: viewer.name, role });
  };
  return (
    <section className="presence" aria-labelledby={titleId} data-testid="presence">
      <h2 id={titleId} className="presence__count">
        <span className="visually-hidden">{t("live.viewer.presence")}: </span>
        {t("live.viewer.watchers", { count: viewers.length, n: format.integer(viewers.length) })}
      </h2>
      <ul className="presence__list">
        {shown.map((viewer) => {
          const label = describe(viewer);
          return (
            <li
              key={viewer.id}
              className={`presence__item${viewer.state === "idle" ? " presence__item--idle" : ""}${viewer.id === you ? " presence__item--you" : ""}`}
              data-tooltip={label}
              data-testid="presence-viewer"
              data-state={viewer.state}
              // Focusable so keyboard users get the same name, role and state as a pointer's hover.
              tabIndex={0}
              aria-label={label}
            >
              <Avatar name={viewer.name} />
            </li>
          );
        })}
        {more > 0 ? (
          <li
            className="presence__item presence__more"
            tabIndex={0}
            aria-label={t("live.viewer.moreViewersLabel", { count: more, n: format.integer(more) })}
            data-tooltip={ordered
              .slice(SHOWN_VIEWERS)
              .map((viewer) => viewer.name)
              .join(", ")}
          >
            <span aria-hidden="true">{t("live.viewer.moreViewers", { n: format.integer(more) })}</span>
          </li>
        ) : null}
      </ul>
    </section>
  );
}

/** Where the discussion is: question n of m, its round or phase, the question's words, and progress. */
export function StageCard({ view }: { view: LiveViewState }) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const group = view.focusGroup;
  const stage = group.stage;
  if (group.status === "draft") {
    return (
      <section className="card viewer-stage" aria-labelledby={titleId}>
        <h2 id={titleId} className="section-title">
          {t("studies.status.draft")}
        </h2>
        <p className="muted">{t("live.viewer.notStarted")}</p>
      </section>
    );
  }
  // Where it is only matters while it runs (or is paused there); after that, how it ended.
  const underway = group.status === "running" || group.status === "paused" || group.status === "interrupted";
  const heading =
    stage && underway
      ? t("discussion.stage", {
          question: t("discussion.questionN", {
            n: format.integer(stage.questionIndex + 1),
            total: format.integer(group.guide.length),
          }),
          phase: t(`discussion.phase.${stage.phase}`, { round: format.integer(stage.round) }),
        })
      : t(`studies.status.${group.status}`);
  const { done, total } = group.progress;
  return (
    <section className="card viewer-stage" aria-labelledby={titleId} data-testid="viewer-stage">
      <div className="viewer-stage__head">
        <h2 id={titleId} className="section-title">
          {group.status === "running" ? <span className="spinner" aria-hidden="true" /> : null} {heading}
        </h2>
        {total > 0 ? (
          <p className="discussion-status__count">
            {t("discussion.progressCount", { count: total, done: format.integer(done), total: format.integer(total) })}
          </p>
        ) : null}
      </div>
      {group.question && underway ? (
        <p className="viewer-stage__question" data-testid="viewer-question">
          {group.question}
        </p>
      ) : null}
      {group.status === "running" || total > 0 ? <ProgressBar done={done} total={total} labelledBy={titleId} /> : null}
    </section>
  );
}

/** The participants with the demographics researchers read answers against. */
export function ParticipantsPanel({ participants }: { participants: readonly LiveParticipant[] }) {
  const { t } = useTranslation();
  const titleId = useId();
  const gender = usePersonaGender();
  const labels = useDemographicLabels();
  const format = useFormat();
  return (
    <section className="card viewer-side" aria-labelledby={titleId} data-testid="viewer-participants">
      <h2 id={titleId} className="section-title">
        {t("live.viewer.participants")}{" "}
        <span className="muted viewer-side__count">{format.integer(participants.length)}</span>
      </h2>
      {participants.length === 0 ? (
        <p className="muted">{t("live.viewer.noParticipants")}</p>
      ) : (
        <ul className="live-participants">
          {participants.map((participant) => (
            <li key={participant.id} className="live-participant" data-testid="viewer-participant">
              <div className="live-participant__who">
                <Avatar name={participant.name} />
                <span className="live-participant__name">{participant.name}</span>
              </div>
              <dl className="live-participant__facts">
                <div>
                  <dt>{t("persona.age")}</dt>
                  <dd>{format.integer(participant.age)}</dd>
                </div>
                <div>
                  <dt>{t("persona.gender")}</dt>
                  <dd>{gender(participant.gender)}</dd>
                </div>
                <div>
                  <dt>{t("persona.location")}</dt>
                  <dd>{participant.location}</dd>
                </div>
                <div>
                  <dt>{t("persona.occupation")}</dt>
                  <dd>{participant.occupation}</dd>
                </div>
                <div>
                  <dt>{t("persona.education")}</dt>
                  <dd>{labels.category(participant.education)}</dd>
                </div>
                <div>
                  <dt>{t("persona.income")}</dt>
                  <dd>{labels.category(participant.income)}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Findings as the host's analysis saves them, newest last. */
export function InsightsPanel({ insights }: { insights: readonly Insight[] }) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <section className="card viewer-side" aria-labelledby={titleId} data-testid="viewer-insights">
      <h2 id={titleId} className="section-title">
        {t("live.viewer.insights")}
      </h2>
      {insights.length === 0 ? (
        <p className="muted">{t("live.viewer.noInsights")}</p>
      ) : (
        <ul className="insights" aria-live="polite">
          {insights.map((insight) => (
            <li key={insight.id} className={`insight insight--${insight.kind}`} data-testid="viewer-insight">
              <p className="muted live-insight__kind">{t(`analysis.kinds.${insight.kind}`)}</p>
              <h3 className="insight__title">{insight.title}</h3>
              <p className="insight__text">{insight.text}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
