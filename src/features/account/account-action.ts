/** How the account panels run a request and show what went wrong. */
import { AccountApiError } from '../../platform/account/account-api.ts';

/** What to show a person for a failed account request: the server's own message where it sent one. */
export function accountErrorText(error: unknown): string {
  return error instanceof AccountApiError ? error.message : String(error);
}

/**
 * An action for a panel that lists server state: clears the last message, runs `work`, shows
 * its failure, and refreshes the lists either way (a failed request may still have changed them).
 */
export function accountAction(
  setMessage: (text: string) => void,
  refresh: () => Promise<unknown>,
): (work: () => Promise<unknown>) => Promise<void> {
  return async (work) => {
    setMessage('');
    try {
      await work();
    } catch (error) {
      setMessage(accountErrorText(error));
    }
    await refresh();
  };
}
