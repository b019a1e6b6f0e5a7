import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import { newUid, moveItem } from "../studies/reorder";
import { RowTools } from "../studies/RowTools";
import { blankGuideItem, type GuideErrors, type GuideItemDraft } from "./guide-drafts";

const MAX_QUESTIONS = 30;
const MAX_PROBES = 10;

interface Props {
  items: GuideItemDraft[];
  errors: GuideErrors;
  onChange(items: GuideItemDraft[]): void;
}

/** The discussion guide: ordered questions, each with optional probes for the moderator. */
export function GuideEditor({ items, errors, onChange }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const update = (uid: string, change: Partial<GuideItemDraft>) =>
    onChange(items.map((item) => (item.uid === uid ? { ...item, ...change } : item)));

  return (
    <div className="guide-editor">
      {errors.guide ? (
        <p className="field__error" role="alert">
          {errors.guide}
        </p>
      ) : null}
      <ol className="guide-editor__list">
        {items.map((item, index) => {
          const questionId = `guide-${item.uid}`;
          const errorId = `${questionId}-error`;
          const error = errors.questions[item.uid];
          return (
            <li key={item.uid} className={`guide-item${error ? " guide-item--invalid" : ""}`} data-testid="guide-item">
              <fieldset className="guide-item__fieldset">
                <legend className="guide-item__legend">{t("fgForm.questionN", { n: index + 1 })}</legend>
                <div className="field">
                  <label className="field__label" htmlFor={questionId}>
                    {t("fgForm.questionText", { n: index + 1 })}
                  </label>
                  <textarea
                    id={questionId}
                    className="textarea"
                    rows={2}
                    maxLength={2000}
                    value={item.question}
                    // A question just added takes the focus (the first one waits for the user).
                    autoFocus={index > 0 && item.question === ""}
                    placeholder={t("fgForm.questionPlaceholder")}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                    onChange={(event) => update(item.uid, { question: event.target.value })}
                  />
                  {error ? (
                    <p className="field__error" id={errorId}>
                      {error}
                    </p>
                  ) : null}
                </div>
                <div className="probes">
                  <p className="probes__title">{t("fgForm.probes")}</p>
                  {item.probes.length === 0 ? <p className="field__hint">{t("fgForm.probesHint")}</p> : null}
                  <ul className="probes__list">
                    {item.probes.map((probe, probeIndex) => {
                      const probeId = `probe-${probe.uid}`;
                      const probeError = errors.probes[probe.uid];
                      return (
                        <li key={probe.uid} className="probes__row">
                          <label className="visually-hidden" htmlFor={probeId}>
                            {t("fgForm.probeN", { n: probeIndex + 1, question: index + 1 })}
                          </label>
                          <input
                            id={probeId}
                            className="input input--small"
                            maxLength={1000}
                            value={probe.text}
                            autoFocus={probe.text === ""}
                            placeholder={t("fgForm.probePlaceholder")}
                            aria-invalid={probeError ? true : undefined}
                            aria-describedby={probeError ? `${probeId}-error` : undefined}
                            onChange={(event) =>
                              update(item.uid, {
                                probes: item.probes.map((p) =>
                                  p.uid === probe.uid ? { ...p, text: event.target.value } : p,
                                ),
                              })
                            }
                          />
                          <button
                            type="button"
                            className="button button--small button--ghost-danger"
                            aria-label={t("fgForm.removeProbe", { n: probeIndex + 1 })}
                            onClick={() => update(item.uid, { probes: item.probes.filter((p) => p.uid !== probe.uid) })}
                          >
                            {t("studies.remove")}
                          </button>
                          {probeError ? (
                            <p className="field__error probes__error" id={`${probeId}-error`}>
                              {probeError}
                            </p>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                  {item.probes.length < MAX_PROBES ? (
                    <button
                      type="button"
                      className="button button--quiet button--small"
                      onClick={() => update(item.uid, { probes: [...item.probes, { uid: newUid(), text: "" }] })}
                    >
                      + {t("fgForm.addProbe")}
                    </button>
                  ) : null}
                </div>
                <RowTools
                  uid={item.uid}
                  index={index}
                  count={items.length}
                  onMove={(delta) => onChange(moveItem(items, index, delta))}
                  onRemove={() => onChange(items.filter((other) => other.uid !== item.uid))}
                  removeDisabled={items.length === 1}
                />
              </fieldset>
            </li>
          );
        })}
      </ol>
      {items.length < MAX_QUESTIONS ? (
        <button type="button" className="button" onClick={() => onChange([...items, blankGuideItem()])}>
          + {t("fgForm.addQuestion")}
        </button>
      ) : (
        <p className="field__hint">
          {t("fgForm.maxQuestions", { count: MAX_QUESTIONS, max: format.integer(MAX_QUESTIONS) })}
        </p>
      )}
    </div>
  );
}
