/**
 * Settings of the channel dispatcher: the SMTP server for e-mail, the HTTP gateways for SMS and
 * WhatsApp, the retry policy, the message templates and the letter's disclosures. Every adapter is
 * disabled until the administrator configures it, and the dispatcher only connects to the hosts
 * named here.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { findWhyNotPaidQuestion } from '@gestiona/core/compliance/why-not-paid';
import { exemptionReasonSchema } from '@gestiona/core/compliance/types';

export const CHANNELS_CONFIG_VARIABLE = 'GESTIONA_CHANNELS_CONFIG';

const smtpSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** TLS from the first byte (port 465); false uses STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  user: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  /** Sender, e.g. `"Cobranzas Andina" <avisos@andina.example>`. */
  from: z.string().min(3),
  /** Milliseconds before a connection or a reply from the SMTP server times out. */
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
});
export type SmtpSettings = z.infer<typeof smtpSchema>;

const gatewaySchema = z.object({
  /** The gateway's endpoint; the dispatcher sends one JSON POST per message to it. */
  url: z.url({ protocol: /^https?$/ }),
  /** Bearer token sent in the Authorization header. */
  token: z.string().min(1),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});
export type GatewaySettings = z.infer<typeof gatewaySchema>;

const templateSchema = z.object({
  subject: z.string().min(1).max(200).optional(),
  body: z.string().min(1).max(4000),
  /** R10: send as exempt from the contact limits for this reason; the gate refuses it when the text has collection content. */
  exemptReason: exemptionReasonSchema.optional(),
});
export type MessageTemplate = z.infer<typeof templateSchema>;

export const DEFAULT_TEMPLATES = {
  sms: {
    body: '{acreedor}: {nombre}, su obligación tiene un saldo en mora de {mora}. Para acordar el pago comuníquese con nosotros. Fecha: {fecha}.',
  },
  whatsapp: {
    body: 'Hola {nombre}. {acreedor} le recuerda que su obligación {obligaciones} tiene un saldo en mora de {mora} al {fecha}. Responda este mensaje para acordar el pago.',
  },
  email: {
    subject: '{acreedor}: estado de su obligación al {fecha}',
    body:
      'Señor(a) {nombre}:\n\nLe informamos que su obligación {obligaciones} con {acreedor} presenta un saldo en mora de {mora} ' +
      'y un saldo total de {saldo} al {fecha}.\n\nPuede acordar el pago respondiendo este correo o llamando a nuestras líneas de atención.\n\nCordialmente,\n{acreedor}',
  },
  letter: {
    body:
      'Señor(a) {nombre}:\n\nLe informamos que su obligación {obligaciones} con {acreedor} presenta un saldo en mora de {mora} ' +
      'y un saldo total de {saldo} al {fecha}. Le invitamos a comunicarse con nosotros para acordar el pago.',
  },
  visit: {
    body: 'Visita de cobranza a {nombre}: obligación {obligaciones}, saldo en mora {mora}, saldo total {saldo} al {fecha}.',
  },
} as const satisfies Record<string, MessageTemplate>;

/** Disclosures printed on every letter, as consumer-protection rules for collection require. */
export const DEFAULT_LETTER_DISCLOSURES = [
  'Esta comunicación es una gestión de cobranza de la obligación indicada, en nombre del acreedor.',
  'Si ya pagó, o no reconoce la obligación o el valor, puede presentar una petición, queja o reclamo ante el acreedor; mientras se resuelve no se le cobrará esa suma.',
  'Sus datos se tratan según la Ley 1581 de 2012 y la información financiera según la Ley 1266 de 2008; puede conocer, actualizar y rectificar su información.',
  'Puede acudir al defensor del consumidor financiero del acreedor o a la Superintendencia Financiera de Colombia.',
];

const channelsConfigSchema = z
  .object({
    /** Milliseconds between two passes of the scheduler. */
    intervalMs: z.number().int().min(1000).max(3_600_000).default(60_000),
    email: smtpSchema.optional(),
    sms: gatewaySchema.optional(),
    whatsapp: gatewaySchema.optional(),
    /** Letters and visits need no adapter (a PDF and a route sheet); these switch them on. */
    letters: z.boolean().default(false),
    visits: z.boolean().default(false),
    retry: z
      .object({
        /** Tries per message, the first included. */
        attempts: z.number().int().min(1).max(10).default(3),
        /** Wait before the second try; each later try waits twice the previous wait. */
        baseDelayMs: z.number().int().min(0).max(60_000).default(2_000),
        /** Later passes that try again after every try of a pass failed with an error worth retrying (5xx, timeout). */
        laterPasses: z.number().int().min(0).max(10).default(3),
        /** Wait before the first later pass; each next one waits twice as long. */
        laterDelayMs: z.number().int().min(1000).max(86_400_000).default(600_000),
      })
      .default({ attempts: 3, baseDelayMs: 2_000, laterPasses: 3, laterDelayMs: 600_000 }),
    /** The creditor's name as messages show it when the obligation names none. */
    senderName: z.string().min(1).max(100).default('Su acreedor'),
    templates: z
      .object({ sms: templateSchema, whatsapp: templateSchema, email: templateSchema, letter: templateSchema, visit: templateSchema })
      .partial()
      .default({}),
    letterDisclosures: z.array(z.string().min(1).max(600)).max(20).default(DEFAULT_LETTER_DISCLOSURES),
  })
  .superRefine((config, context) => {
    for (const [channel, template] of Object.entries(config.templates)) {
      for (const [field, text] of [['subject', template.subject], ['body', template.body]] as const) {
        if (text === undefined) continue;
        const question = findWhyNotPaidQuestion(text, 'script');
        if (question !== null) {
          context.addIssue({
            code: 'custom',
            path: ['templates', channel, field],
            message: `la plantilla pregunta por qué no pagó ("${question}"), lo que está prohibido (R11); quite esa pregunta`,
          });
        }
      }
    }
  });

export type ChannelsConfig = z.infer<typeof channelsConfigSchema>;

/** The configuration with every channel disabled, used when no file is configured. */
export const DISABLED_CHANNELS: ChannelsConfig = channelsConfigSchema.parse({});

/** Validates a parsed JSON configuration; throws an Error whose message names every invalid field in Spanish. */
export function parseChannelsConfig(raw: unknown, source: string): ChannelsConfig {
  const parsed = channelsConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(raíz)'}: ${issue.message}`);
  throw new Error(`La configuración de canales ${source} no es válida: ${problems.join('; ')}. Corrija el archivo y vuelva a iniciar.`);
}

/** Reads the JSON file at `path`; throws an Error in Spanish naming the file when it is missing or invalid. */
export function loadChannelsConfigFile(path: string): ChannelsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`No se pudo leer la configuración de canales ${path}: ${(error as Error).message}. Revise la ruta en ${CHANNELS_CONFIG_VARIABLE} o --channels-config.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`La configuración de canales ${path} no es JSON válido: ${(error as Error).message}.`);
  }
  return parseChannelsConfig(raw, path);
}

/** Returns whether any channel is switched on, so that the server starts the scheduler. */
export function anyChannelEnabled(config: ChannelsConfig): boolean {
  return config.email !== undefined || config.sms !== undefined || config.whatsapp !== undefined || config.letters || config.visits;
}
