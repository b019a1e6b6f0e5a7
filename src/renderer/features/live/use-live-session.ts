import { useQueryClient } from "@tanstack/react-query";
import type { LiveSession, RouteOutput } from "@shared/contract";
import { invokeQueryKey, useInvokeMutation, useInvokeQuery } from "../../api/hooks";
import { useNotify } from "../../components/notify";

type Status = RouteOutput<"live.status">;

/**
 * The focus group's live session as the researcher sees it (invites, viewers, probes), kept
 * fresh by `db.changed` on LiveSession / LiveInvite / LiveProbe; each change the researcher makes
 * also lands in the cache at once from the route's answer.
 */
export function useLiveSession(focusGroupId: string) {
  const client = useQueryClient();
  const notify = useNotify();
  const status = useInvokeQuery("live.status", { focusGroupId });
  const key = invokeQueryKey("live.status", { focusGroupId });
  const setSession = (session: LiveSession) => client.setQueryData<Status>(key, { session });
  const patch = (change: (session: LiveSession) => LiveSession) =>
    client.setQueryData<Status>(key, (data) => (data?.session ? { session: change(data.session) } : data));
  const refresh = () => client.invalidateQueries({ queryKey: key });

  const createInvite = useInvokeMutation("live.createInvite", { onSuccess: () => void refresh() });
  const serveDirect = useInvokeMutation("live.serveDirect", { onSuccess: setSession });
  const stopDirect = useInvokeMutation("live.stopDirect", {
    onSuccess: (session) => {
      setSession(session);
      notify.success(({ t }) => t("live.host.stoppedToast"));
    },
    onError: notify.error,
  });
  const publishRelay = useInvokeMutation("live.publishRelay", { onSuccess: setSession });
  const stopRelay = useInvokeMutation("live.stopRelay", {
    onSuccess: (session) => {
      setSession(session);
      notify.success(({ t }) => t("live.host.relayStoppedToast"));
    },
    onError: notify.error,
  });
  const revokeInvite = useInvokeMutation("live.revokeInvite", {
    onSuccess: (invite) => {
      patch((session) => ({
        ...session,
        invites: session.invites.map((known) => (known.id === invite.id ? invite : known)),
      }));
      notify.success(({ t }) => t("live.host.revokedToast"), invite.label || undefined);
    },
    onError: notify.error,
  });
  const end = useInvokeMutation("live.end", {
    onSuccess: (session) => {
      setSession(session);
      notify.success(({ t }) => t("live.host.endedToast"));
    },
    onError: notify.error,
  });
  const decideProbe = useInvokeMutation("live.decideProbe", {
    onSuccess: (probe) =>
      patch((session) => ({
        ...session,
        probes: session.probes.map((known) => (known.id === probe.id ? probe : known)),
      })),
    onError: (error) => {
      notify.error(error);
      // Decided elsewhere meanwhile (CONFLICT): show what it is now.
      void refresh();
    },
  });
  const setAutoApprove = useInvokeMutation("live.setAutoApprove", { onSuccess: setSession, onError: notify.error });

  return {
    status,
    createInvite,
    serveDirect,
    stopDirect,
    publishRelay,
    stopRelay,
    revokeInvite,
    end,
    decideProbe,
    setAutoApprove,
  };
}
