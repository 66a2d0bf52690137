import { validator } from "hono/validator";
import type { z } from "zod";
import { ApiError } from "./errors.js";

/** Every issue as "path: message", joined: one line a developer can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "value"}: ${issue.message}`).join("; ");
}

/** Query validation: a 400 with code invalid_query naming the parameter, else typed c.req.valid("query"). */
export function validQuery<Schema extends z.ZodType>(schema: Schema) {
  return validator("query", (value): z.infer<Schema> => {
    const result = schema.safeParse(value);
    if (!result.success) throw new ApiError(400, "invalid_query", describeIssues(result.error));
    return result.data;
  });
}
