/**
 * A request received by email or post, entered by staff with its original attached (decision 0032):
 * `POST .../desk/requests/with-attachments` takes multipart/form-data, one `request` part (the JSON
 * body of `POST .../desk/requests`) and one to five `attachment` files; the request and its
 * attachments are stored together or not at all. A sibling of the JSON route rather than a second
 * content type on it: the JSON route's body is validated by its schema before it runs, a form can
 * only be read by the route itself, part by part.
 *
 * Reading a request's attachments (their list, one file) needs the permission to read a person's
 * data, and each view is in the audit log (Art. 5(2), 32). A download is always saved, never shown
 * (Content-Disposition: attachment, nosniff, its detected type, a CSP that runs nothing).
 *
 * Multipart bodies are parsed only on these routes (app.ts registers @fastify/multipart for them
 * alone), within ATTACHMENT_FORM_LIMITS: nothing unbounded is held in memory.
 */
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachmentTooLarge, checkAttachment, checkAttachmentCount, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, type CheckedAttachment } from '../../desk/attachments/check-attachment.js';
import { ATTACHMENT_TYPES } from '../../desk/attachments/detect-attachment-type.js';
import { attachmentDisposition } from '../../desk/attachments/sanitise-filename.js';
import { OpendpoError } from '../../errors/opendpo-error.js';
import { Id } from '../../register/schema.js';
import { principalOf } from '../auth.js';
import { AttachmentView, presentAttachment, RequestWithAttachmentsView } from '../presenters/attachment-presenter.js';
import { BadRequestView, ConflictView, ErrorView, ForbiddenView, RequestNotFoundView, UnauthenticatedView } from '../presenters/error-presenter.js';
import { presentStaffRequest } from '../presenters/request-presenter.js';
import type { RouteContext, ZodApp } from '../route-context.js';
import { EntryBody, EntryKeyFields, presentEntryKey } from './desk-requests.js';

/** The `request` part: as large as the JSON entry's body may be. */
const REQUEST_PART_BYTES = 256 * 1024;

/**
 * What the multipart parser holds at most: one file of MAX_ATTACHMENT_BYTES at a time, the
 * `request` part, and one part more than the form takes, so that the one too many is refused by
 * its name (the parser's own limits stop anything beyond).
 */
export const ATTACHMENT_FORM_LIMITS = {
  fileSize: MAX_ATTACHMENT_BYTES,
  files: MAX_ATTACHMENTS + 2,
  fields: 2,
  fieldSize: REQUEST_PART_BYTES,
  fieldNameSize: 100,
  parts: MAX_ATTACHMENTS + 3,
  headerPairs: 20,
} as const;

const OrgParams = z.object({ org: Id.describe('organisation id') });
const RequestParams = OrgParams.extend({ id: z.uuid({ message: 'must be a request id (a UUID)' }) });
const SEQ = 'must be an attachment number (1, 2, ...)';
const AttachmentParams = RequestParams.extend({ seq: z.coerce.number({ message: SEQ }).int({ message: SEQ }).min(1, { message: SEQ }).max(1000, { message: SEQ }) });
const Errors = { 400: BadRequestView, 401: UnauthenticatedView, 403: ForbiddenView, 404: RequestNotFoundView };

const EntryForm = z
  .object({
    request: EntryBody.describe('the request: the JSON body of POST /api/v1/organisations/{org}/desk/requests, as a part of type application/json (or text holding that JSON)'),
    attachment: z
      .array(z.file())
      .min(1)
      .max(MAX_ATTACHMENTS)
      .describe(
        `the original: a scanned or photographed letter (PDF, PNG, JPEG, TIFF), the email as saved by a mail program (.eml), or plain text (UTF-8); 1 to ${MAX_ATTACHMENTS} parts of this name, ${MAX_ATTACHMENT_BYTES} bytes each at most; what a file is, is read from its content, never from its name or the part's Content-Type`,
      ),
  });

const EntryWithAttachmentsSchema = {
  summary: 'Enter a request received by email or post with its original attached (the letter\'s scan, the email): stored with the request, encrypted',
  tags: ['desk'],
  params: OrgParams,
  consumes: ['multipart/form-data'],
  body: EntryForm,
  response: {
    201: RequestWithAttachmentsView.extend(EntryKeyFields).meta({ id: 'EnteredRequestWithAttachments' }).describe('The request entered, its attachments as kept, and the person\'s key and its link (shown once)'),
    ...Errors,
    409: ConflictView,
    413: ErrorView.describe('A file is over the size limit, or there are more files than a request keeps: nothing was stored'),
    415: ErrorView.describe('A file\'s content is not of a kind kept (the message names it and says why), or the body is not multipart/form-data: nothing was stored'),
  },
};

const ListSchema = {
  summary: 'The originals kept with a request: name, detected type, size, SHA-256 (this view is recorded in the audit log)',
  tags: ['desk'],
  params: RequestParams,
  response: { 200: z.object({ attachments: z.array(AttachmentView) }).describe('The attachments, in order; the view is in the audit log'), ...Errors },
};

const DownloadSchema = {
  summary: 'Download one original kept with a request, as received (this view is recorded in the audit log)',
  tags: ['desk'],
  params: AttachmentParams,
  response: {
    200: {
      description: 'The file, as received, with its detected type, to save (Content-Disposition: attachment)',
      content: Object.fromEntries(ATTACHMENT_TYPES.map((type) => [type, { schema: z.string() }])),
    },
    ...Errors,
  },
};

export function addDeskAttachmentRoutes(app: ZodApp, { desk }: RouteContext): void {
  app.post(
    '/api/v1/organisations/:org/desk/requests/with-attachments',
    {
      schema: EntryWithAttachmentsSchema,
      config: { access: 'requests.create' },
      // The body schema documents the form; the route reads and checks it part by part (request.parts()), as no validator can before it runs.
      validatorCompiler: (route) => (route.httpPart === 'body' ? () => ({ value: undefined }) : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0])),
      // Before anything of the body is read: a JSON body here is a mistake of route, said as such.
      preValidation: async (request) => {
        if (!request.isMultipart()) {
          throw new OpendpoError(
            'UNSUPPORTED_TYPE',
            `this route takes multipart/form-data: a "request" part (the JSON of POST .../desk/requests) and 1 to ${MAX_ATTACHMENTS} "attachment" files; a request without attachments is POSTed as JSON to .../desk/requests`,
          );
        }
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const form = await readEntryForm(request);
      const e = form.entry;
      const submitted = await desk.submit({
        organisationId: request.params.org,
        details: e.details,
        identities: e.identities,
        language: e.language,
        channel: e.channel,
        actor: p.actor,
        receivedAt: new Date(e.received_at),
        ...(e.message !== undefined ? { message: e.message } : {}),
        attachments: form.attachments,
      });
      const kept = submitted.attachments ?? [];
      request.log.info({ requestId: submitted.request.request.id, attachments: kept.length, bytes: kept.reduce((n, a) => n + a.size_bytes, 0) }, 'request entered with attachments');
      return reply.code(201).send({ ...presentStaffRequest(submitted.request, desk), attachments: kept.map(presentAttachment), ...presentEntryKey(desk, submitted) });
    },
  );

  app.get('/api/v1/organisations/:org/desk/requests/:id/attachments', { schema: ListSchema, config: { access: 'requests.read_personal' } }, async (request) => {
    const rows = await desk.attachments(request.params.org, request.params.id, principalOf(request).actor);
    return { attachments: rows.map(presentAttachment) };
  });

  app.get('/api/v1/organisations/:org/desk/requests/:id/attachments/:seq', { schema: DownloadSchema, config: { access: 'requests.read_personal' } }, async (request, reply) => {
    const { org, id, seq } = request.params;
    const { attachment, content } = await desk.openAttachment(org, id, seq, principalOf(request).actor);
    // Saved, never shown: a file a person sent is not run in the console's origin, whatever it holds.
    return reply
      .header('content-type', attachment.content_type === 'text/plain' ? 'text/plain; charset=utf-8' : attachment.content_type)
      .header('content-length', String(content.length))
      .header('content-disposition', attachmentDisposition(attachment.filename))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'no-store')
      .send(content as unknown as string);
  });
}

type Entry = z.output<typeof EntryBody>;

/**
 * The form, part by part: the `request` part checked by the JSON route's schema, each `attachment`
 * read within its limit and checked (check-attachment.ts) before the next is read. Anything else is
 * refused, named. A refusal leaves the rest of the body unread: it is read and dropped.
 */
async function readEntryForm(request: FastifyRequest): Promise<{ entry: Entry; attachments: CheckedAttachment[] }> {
  let entry: Entry | undefined;
  const attachments: CheckedAttachment[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.fieldname === 'request') {
        if (entry !== undefined) throw new OpendpoError('INVALID_INPUT', 'the form has two "request" parts: give one');
        entry = parseEntry(await requestPartText(part));
      } else if (part.fieldname === 'attachment') {
        if (part.type !== 'file') throw new OpendpoError('INVALID_INPUT', 'an "attachment" part is a file: give it a filename (Content-Disposition: form-data; name="attachment"; filename="...")');
        const index = attachments.length + 1;
        checkAttachmentCount(index, part.filename);
        const content = await readFile(part, MAX_ATTACHMENT_BYTES);
        if (content === undefined) throw attachmentTooLarge(index, part.filename);
        attachments.push(checkAttachment({ filename: part.filename, content }, index));
      } else {
        throw new OpendpoError('INVALID_INPUT', `the form has a part named ${JSON.stringify(printable(part.fieldname))}: it takes one "request" part and 1 to ${MAX_ATTACHMENTS} "attachment" files`);
      }
    }
  } catch (err) {
    // The answer goes now: what the client still sends is read and dropped.
    request.raw.unpipe();
    request.raw.resume();
    throw formError(err);
  }
  if (entry === undefined) throw new OpendpoError('INVALID_INPUT', 'the form has no "request" part: give the request as the JSON of POST .../desk/requests');
  if (attachments.length === 0) throw new OpendpoError('INVALID_INPUT', 'the form has no "attachment" file: attach the letter or the email, or POST the request as JSON to .../desk/requests');
  return { entry, attachments };
}

/** The text of the `request` part, sent as a field (its JSON already parsed when typed application/json) or as a file. */
async function requestPartText(part: Multipart): Promise<unknown> {
  if (part.type === 'file') {
    const content = await readFile(part, REQUEST_PART_BYTES);
    if (content === undefined) throw new OpendpoError('TOO_LARGE', `the "request" part is over ${REQUEST_PART_BYTES / 1024} KiB`);
    return content.toString('utf8');
  }
  if (part.valueTruncated) throw new OpendpoError('TOO_LARGE', `the "request" part is over ${REQUEST_PART_BYTES / 1024} KiB`);
  return part.value;
}

/** A file part's bytes; undefined when it is over `limit` (reading stops there: the parser's own limit is the larger one). */
async function readFile(part: MultipartFile, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  if (part.file.truncated) return undefined;
  return Buffer.concat(chunks);
}

function parseEntry(value: unknown): Entry {
  let json = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch {
      throw new OpendpoError('INVALID_INPUT', 'the "request" part is not JSON: it holds the JSON body of POST .../desk/requests');
    }
  }
  const parsed = EntryBody.safeParse(json);
  if (!parsed.success) {
    throw new OpendpoError('INVALID_INPUT', parsed.error.issues.map((i) => `part "request": field ${i.path.length > 0 ? `"${i.path.join('.')}" ` : ''}${i.message}`).join('; '));
  }
  return parsed.data;
}

/** The multipart parser's refusals, in the error format; ours pass as they are. */
function formError(err: unknown): unknown {
  if (err instanceof OpendpoError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new OpendpoError('TOO_LARGE', `a file is over ${MAX_ATTACHMENT_BYTES} bytes`);
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new OpendpoError('TOO_LARGE', `the form has too many parts: one "request" part and at most ${MAX_ATTACHMENTS} "attachment" files`);
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new OpendpoError('INVALID_INPUT', 'the "request" part is typed application/json but is not JSON (or names __proto__ or constructor)');
    case 'FST_PROTO_VIOLATION':
      return new OpendpoError('INVALID_INPUT', 'a part is named __proto__, constructor or another name every object has: the form takes "request" and "attachment" parts');
    case 'FST_MP_PREMATURE_CLOSE':
      return new OpendpoError('INVALID_INPUT', 'the form was cut short before its end');
    default:
      // Busboy's own (no boundary, a malformed part header, the body cut short): never echoed, it may quote the body.
      if (err instanceof Error) return new OpendpoError('INVALID_INPUT', 'the body is not a well-formed multipart/form-data form', undefined, { cause: err });
      return err;
  }
}

/** A name the client chose, as it may be repeated in an answer: printable, short. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 64);
}
