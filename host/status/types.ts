/**
 * The shape of /status.json: what the status page renders (in the host for the first paint,
 * in the browser on every poll) and what `plugd plugins` prints. Only data, no behaviour.
 */
import type { StatusEvent } from './events.js';
import type { SeriesView } from './series.js';

export interface InstanceView {
  readonly generation: number;
  readonly version: string;
  /** active, pending or draining. */
  readonly state: string;
  readonly healthy: boolean;
  /** closed, open or half-open. */
  readonly circuit: string;
  readonly inflight: number;
  /** `stream`: calls on the plugin's plugd.calls.v1 stream; `unary`: one RPC each (it serves no call stream). */
  readonly transport: 'stream' | 'unary';
  readonly socket: string;
  readonly registeredAt: string;
}

export interface PluginView {
  readonly name: string;
  readonly type: string;
  /** Newest generation first; empty for a plugin gone whose calls are still in the window. */
  readonly instances: InstanceView[];
  /** Hooks the newest instance implements. */
  readonly hooks: string[];
  /** Absent for a plugin never called. */
  readonly calls: SeriesView | undefined;
}

export interface StatusSnapshot {
  /** When this was taken (ms since the epoch): the page's "now" for relative times. */
  readonly now: number;
  readonly host: {
    readonly socketDir: string;
    readonly startedAt: number;
    /** The initial scan of the socket directory is done. */
    readonly ready: boolean;
    readonly pid: number;
  };
  /** The time-series resolution and the window of the "recent" figures. */
  readonly series: { readonly bucketMs: number; readonly buckets: number; readonly recentMs: number };
  /** Every interface the host speaks, in a fixed order, each with its plugins by name. */
  readonly interfaces: Array<{ readonly type: string; readonly plugins: PluginView[] }>;
  /** Newest first. */
  readonly events: StatusEvent[];
  /** Sockets in the directory that are not registered plugins, and why. */
  readonly unregistered: Array<{ readonly path: string; readonly status: string; readonly reason: string | undefined }>;
}
