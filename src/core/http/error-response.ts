/** The JSON API's one error shape (see errors.tsx): a code, a message for people, and field messages. */
import { Type } from '@sinclair/typebox';

export const ErrorResponse = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), fields: Type.Optional(Type.Record(Type.String(), Type.String())) }),
});
