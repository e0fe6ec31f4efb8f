export const PROGRAM_VERSION = 'cairn 0.1.0';
