/** The default catalog as a table, for the content test: code, label, group, class, fields (name:type). */
export const CATALOG_CODES_EXPECTED: [string, string, string, string, string[]][] = [
  ['PP', 'Promesa de pago', 'Contacto directo', 'two-way', ['amount:amount', 'date:date', 'collectionFee:amount']],
  ['AP', 'Acuerdo de pago', 'Contacto directo', 'two-way', ['instalments:instalments', 'collectionFee:amount']],
  ['YP', 'Ya pagó', 'Contacto directo', 'two-way', ['date:date', 'amount:amount', 'reference:text']],
  ['VL', 'Volver a llamar', 'Contacto directo', 'two-way', ['callbackAt:datetime']],
  ['RN', 'Se niega a pagar', 'Contacto directo', 'two-way', ['note:text']],
  ['RC', 'Reclamación o disputa', 'Contacto directo', 'two-way', ['note:text']],
  ['RA', 'Revoca autorización del canal', 'Contacto directo', 'two-way', ['channel:channel']],
  ['MT', 'Mensaje neutral con tercero', 'Contacto con tercero', 'third-party', ['relation:text']],
  ['NE', 'Número equivocado', 'Contacto con tercero', 'third-party', []],
  ['FA', 'Titular fallecido', 'Contacto con tercero', 'third-party', ['note:text']],
  ['NC', 'No contesta', 'Sin contacto', 'attempt', []],
  ['BZ', 'Buzón de voz (mensaje neutral)', 'Sin contacto', 'attempt', []],
  ['OC', 'Ocupado', 'Sin contacto', 'attempt', []],
  ['FS', 'Fuera de servicio / inexistente', 'Sin contacto', 'attempt', []],
];
