import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Persona, Question, Survey } from "@shared/contract";
import { useInvokeInfiniteQuery } from "../../api/hooks";
import { ErrorState, Spinner } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { hrefOf } from "../../router/routes";
import { Avatar } from "../personas/Avatar";

const PAGE_SIZE = 50;

type AnswerValue = string[] | number | string | null;

/** Every persona's answers, one compact card each. */
export function ResponsesList({
  survey,
  personasById,
}: {
  survey: Survey;
  personasById: ReadonlyMap<string, Persona>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const titleId = useId();
  const list = useInvokeInfiniteQuery("surveys.responses", { id: survey.id, limit: PAGE_SIZE });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[list.data.pages.length - 1]?.total ?? 0;

  return (
    <details className="card responses" data-testid="responses">
      <summary className="section-title" id={titleId}>
        {t("responses.title", { count: format.integer(survey.responseCount) })}
      </summary>
      {list.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{t("responses.none")}</p>
      ) : (
        <>
          <ul className="responses__list" aria-labelledby={titleId}>
            {items.map((response) => {
              const persona = personasById.get(response.personaId);
              return (
                <li key={response.id} className="response" data-testid="response">
                  <p className="response__who">
                    <Avatar name={persona?.name ?? "?"} />
                    {persona ? (
                      <a href={hrefOf({ page: "persona", id: persona.id })}>{persona.name}</a>
                    ) : (
                      <span className="muted">{t("focusGroups.deletedPersona")}</span>
                    )}
                  </p>
                  <dl className="response__answers">
                    {survey.questions.map((question, index) => (
                      <div key={question.id} className="response__answer">
                        <dt title={question.text}>
                          <span className="response__number">{index + 1}.</span> {question.text}
                        </dt>
                        <dd>
                          <Answer question={question} value={response.answers[question.id] ?? null} />
                        </dd>
                      </div>
                    ))}
                  </dl>
                </li>
              );
            })}
          </ul>
          {list.hasNextPage ? (
            <div className="load-more">
              <button
                type="button"
                className="button"
                disabled={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                {list.isFetchingNextPage
                  ? t("personas.loadingMore")
                  : t("responses.more", { shown: format.integer(items.length), total: format.integer(total) })}
              </button>
            </div>
          ) : null}
        </>
      )}
    </details>
  );
}

function Answer({ question, value }: { question: Question; value: AnswerValue }) {
  const { t } = useTranslation();
  if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) {
    return <span className="muted">{t("responses.skipped")}</span>;
  }
  if (Array.isArray(value)) return <>{value.join(question.type === "ranking" ? " › " : ", ")}</>;
  return <>{String(value)}</>;
}
