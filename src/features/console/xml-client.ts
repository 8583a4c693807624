/** One XML client (worker) shared by the console import, editors and exports of this tab. */
import { makeXmlClient, type XmlClient } from '../../platform/xml-client.ts';
import { startXmlWorker } from '../../platform/xml-worker.ts';

let client: XmlClient | null = null;

export function sharedXmlClient(): XmlClient {
  return (client ??= makeXmlClient(startXmlWorker));
}
