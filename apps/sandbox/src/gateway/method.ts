import type { Deps } from '../deps';
import type { AppRecord } from '../store/types';

/** One verified gateway call, as a method handler sees it. */
export interface GatewayCall {
  app: AppRecord;
  method: string;
  /** Query and form parameters merged (the body wins on a clash). */
  params: Readonly<Record<string, string>>;
  /** The parsed `biz_content` object (empty when absent). */
  biz: Record<string, unknown>;
  charset: string;
}

/** Returns the success node; throws GatewayError or BusinessError for error nodes. */
export type MethodHandler = (deps: Deps, call: GatewayCall) => Record<string, unknown>;

export const SUCCESS = { code: '10000', msg: 'Success' } as const;
