import i18next, { type TFunction } from "i18next";
import { create } from "zustand";
import type { Format } from "../i18n/format";

/**
 * A toast's words: a plain string (a project's name, or text already in the UI's language), or
 * a function of the active translation, so that a toast on screen when the language changes is
 * re-rendered in the new one instead of staying in the old.
 */
export type ToastText = string | ((words: ToastWords) => string);

/** What a toast's words are made with: the active translation and its formatters. */
export interface ToastWords {
  t: TFunction;
  format: Format;
}

export interface Toast {
  id: number;
  kind: "success" | "error";
  title: ToastText;
  message?: ToastText;
  /** A way to fix the problem (e.g. "Open Settings"), shown as a link. */
  action?: ToastAction;
  /** The UI language when it was shown: a fixed-string title cannot follow a change of language. */
  language: string;
}

export interface ToastAction {
  label: ToastText;
  href: string;
}

interface ToastState {
  toasts: Toast[];
  push(toast: Omit<Toast, "id" | "language">): number;
  dismiss(id: number): void;
  /** After a change of language: drops the toasts whose title is a fixed string in another one. */
  dropStale(language: string): void;
}

const MAX_VISIBLE = 4;
let nextId = 1;

export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++;
    const shown = { ...toast, id, language: i18next.language };
    set((state) => ({ toasts: [...state.toasts, shown].slice(-MAX_VISIBLE) }));
    return id;
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
  dropStale: (language) =>
    set((state) => {
      const kept = state.toasts.filter((toast) => typeof toast.title === "function" || toast.language === language);
      return kept.length === state.toasts.length ? state : { toasts: kept };
    }),
}));

export const toast = {
  success: (title: ToastText, message?: ToastText, action?: ToastAction) =>
    useToastStore.getState().push({ kind: "success", title, message, action }),
  error: (title: ToastText, message?: ToastText, action?: ToastAction) =>
    useToastStore.getState().push({ kind: "error", title, message, action }),
};

/** The words of a toast in the active translation. */
export function toastText(text: ToastText, words: ToastWords): string {
  return typeof text === "function" ? text(words) : text;
}
