import { useEffect, useMemo } from "react";
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type { FocusGroup, Message, RouteOutput } from "@shared/contract";
import { useInvokeInfiniteQuery, type PagedInput } from "../../api/hooks";

type MessagePage = RouteOutput<"focusGroups.messages">;

/** The largest page the messages route serves: most transcripts arrive in one. */
const PAGE_SIZE = 500;

const transcriptInput = (id: string): PagedInput<"focusGroups.messages"> => ({ id, limit: PAGE_SIZE });
const transcriptKey = (id: string) => ["focusGroups.messages", transcriptInput(id), "pages"] as const;

/** The whole transcript in speaking order, following pages to the end. */
export function useTranscript(focusGroupId: string) {
  const query = useInvokeInfiniteQuery("focusGroups.messages", transcriptInput(focusGroupId));
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage]);
  const messages = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  return { query, messages };
}

/**
 * Puts a message that persona_responded just announced into the cached transcript, so it shows
 * at once (the refetch that db.changed triggers confirms it moments later).
 */
export function addMessageToCache(client: QueryClient, message: Message): void {
  client.setQueryData<InfiniteData<MessagePage, string | undefined>>(transcriptKey(message.focusGroupId), (data) => {
    if (!data || data.pages.length === 0) return data;
    if (data.pages.some((page) => page.items.some((item) => item.id === message.id))) return data;
    const pages = [...data.pages];
    const last = pages[pages.length - 1]!;
    // Parallel answers are saved one by one but announced in any order: keep speaking order.
    const items = [...last.items, message].sort((a, b) => a.seq - b.seq);
    pages[pages.length - 1] = { ...last, items, total: last.total + 1 };
    return { ...data, pages };
  });
}

/** A persona's message while it is being generated, from discussion.token deltas. */
export interface DraftMessage {
  unitKey: string;
  personaId?: string;
  speakerName: string;
  questionIndex: number;
  round: number;
  text: string;
}

/** The saved message a draft turns into: one speaker per question and round. */
export function draftBecame(draft: Pick<DraftMessage, "personaId" | "questionIndex" | "round">, message: Message) {
  return (
    message.speakerType === "persona" &&
    message.personaId === draft.personaId &&
    message.questionIndex === draft.questionIndex &&
    message.round === draft.round
  );
}

export type TranscriptEntry = { kind: "message"; message: Message } | { kind: "draft"; draft: DraftMessage };

export interface QuestionGroup {
  questionIndex: number;
  /** The guide's question (null when the guide no longer has it). */
  question: string | null;
  entries: TranscriptEntry[];
}

/**
 * The transcript grouped by guide question: saved messages in speaking order, then the drafts
 * still being written (a draft whose message is already saved is dropped).
 */
export function groupTranscript(
  messages: readonly Message[],
  drafts: readonly DraftMessage[],
  guide: FocusGroup["guide"],
): QuestionGroup[] {
  const groups = new Map<number, QuestionGroup>();
  const groupOf = (questionIndex: number) => {
    let group = groups.get(questionIndex);
    if (!group) {
      group = { questionIndex, question: guide[questionIndex]?.question ?? null, entries: [] };
      groups.set(questionIndex, group);
    }
    return group;
  };
  for (const message of [...messages].sort((a, b) => a.seq - b.seq)) {
    groupOf(message.questionIndex).entries.push({ kind: "message", message });
  }
  for (const draft of drafts) {
    if (messages.some((message) => draftBecame(draft, message))) continue;
    groupOf(draft.questionIndex).entries.push({ kind: "draft", draft });
  }
  return [...groups.values()].sort((a, b) => a.questionIndex - b.questionIndex);
}
