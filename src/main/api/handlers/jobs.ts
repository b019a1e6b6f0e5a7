import type { AreaHandlers } from "../types";
import { listJobs } from "../../services/jobs/list-jobs";

export const jobHandlers: AreaHandlers<"jobs.get" | "jobs.list" | "jobs.cancel" | "jobs.resume"> = (services) => ({
  "jobs.get": ({ id }) => services.jobs.get(id),
  "jobs.list": (input) => listJobs(services.db, input),
  "jobs.cancel": ({ id }) => services.jobs.cancel(id),
  "jobs.resume": ({ id }) => services.jobs.resume(id),
});
