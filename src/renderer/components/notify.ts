import { toast } from "../stores/toasts";
import { useErrorText } from "./ui";

/** Toast callbacks for mutations: success titles are given, errors show code meaning + message. */
export function useNotify() {
  const errorText = useErrorText();
  return {
    success: (title: string, message?: string) => toast.success(title, message),
    error: (error: unknown) => {
      const { heading, message } = errorText(error);
      toast.error(heading, message);
    },
  };
}
