/** The default catalog's groups, in order. */
export const CATALOG_GROUPS_EXPECTED = [
  { id: 'contacto-directo', name: 'Contacto directo', order: 1 },
  { id: 'contacto-tercero', name: 'Contacto con tercero', order: 2 },
  { id: 'sin-contacto', name: 'Sin contacto', order: 3 },
];

/** The default catalog as a table, for the content test: code, label, group id, class, fields (name:type). */
export const CATALOG_CODES_EXPECTED: [string, string, string, string, string[]][] = [
  ['PP', 'Promesa de pago', 'contacto-directo', 'two-way', ['amount:amount', 'date:date', 'collectionFee:amount']],
  ['AP', 'Acuerdo de pago', 'contacto-directo', 'two-way', ['instalments:instalments', 'collectionFee:amount']],
  ['YP', 'Ya pagó', 'contacto-directo', 'two-way', ['date:date', 'amount:amount', 'reference:text']],
  ['VL', 'Volver a llamar', 'contacto-directo', 'two-way', ['callbackAt:datetime']],
  ['RN', 'Se niega a pagar', 'contacto-directo', 'two-way', ['note:text']],
  ['RC', 'Reclamación o disputa', 'contacto-directo', 'two-way', ['note:text']],
  ['RA', 'Revoca autorización del canal', 'contacto-directo', 'two-way', ['channel:channel']],
  ['MT', 'Mensaje neutral con tercero', 'contacto-tercero', 'third-party', ['relation:text']],
  ['NE', 'Número equivocado', 'contacto-tercero', 'third-party', []],
  ['FA', 'Titular fallecido', 'contacto-tercero', 'third-party', ['note:text']],
  ['NC', 'No contesta', 'sin-contacto', 'attempt', []],
  ['BZ', 'Buzón de voz (mensaje neutral)', 'sin-contacto', 'attempt', []],
  ['OC', 'Ocupado', 'sin-contacto', 'attempt', []],
  ['FS', 'Fuera de servicio / inexistente', 'sin-contacto', 'attempt', []],
];
