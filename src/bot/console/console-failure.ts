/** A console line that could not be carried out: reported in one line, never with a stack. */
export class ConsoleFailure extends Error {
  override readonly name = 'ConsoleFailure';
}
