import { create } from "zustand";

export interface Toast {
  id: number;
  kind: "success" | "error";
  title: string;
  message?: string;
  /** A way to fix the problem (e.g. "Open Settings"), shown as a link. */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  href: string;
}

interface ToastState {
  toasts: Toast[];
  push(toast: Omit<Toast, "id">): number;
  dismiss(id: number): void;
}

const MAX_VISIBLE = 4;
let nextId = 1;

export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++;
    set((state) => ({ toasts: [...state.toasts, { ...toast, id }].slice(-MAX_VISIBLE) }));
    return id;
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
}));

export const toast = {
  success: (title: string, message?: string) => useToastStore.getState().push({ kind: "success", title, message }),
  error: (title: string, message?: string, action?: ToastAction) =>
    useToastStore.getState().push({ kind: "error", title, message, action }),
};
