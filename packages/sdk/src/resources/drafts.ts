import type {
  Draft,
  DraftCreateInput,
  DraftDeleted,
  DraftList,
  DraftListQuery,
  DraftPatchInput,
} from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

/** Filters of `GET /drafts`; the transport adds the client's scope. */
export type DraftListFilters = Partial<Omit<DraftListQuery, 'scope'>>;

const path = (id: number) => `/api/v1/drafts/${id}`;

/** Drafts of the client's scope; ids are integers counted per scope. */
export class DraftsResource {
  constructor(private readonly transport: Transport) {}

  /** One page of drafts, newest first, with its total. */
  page(filters: DraftListFilters = {}, options?: CallOptions): Promise<DraftList> {
    return this.transport.request('GET', '/api/v1/drafts', {
      signal: options?.signal,
      query: { ...filters },
    });
  }

  /** The drafts of one page, without the paging envelope. */
  async list(filters: DraftListFilters = {}, options?: CallOptions): Promise<Draft[]> {
    return (await this.page(filters, options)).drafts;
  }

  /** The draft, or `null` when the scope has no draft with that id. */
  get(id: number, options?: CallOptions): Promise<Draft | null> {
    return this.transport.request('GET', path(id), { signal: options?.signal, nullOn: [404] });
  }

  create(body: DraftCreateInput, options?: CallOptions): Promise<Draft> {
    return this.transport.request('POST', '/api/v1/drafts', { signal: options?.signal, body });
  }

  update(id: number, patch: DraftPatchInput, options?: CallOptions): Promise<Draft> {
    return this.transport.request('PATCH', path(id), { signal: options?.signal, body: patch });
  }

  delete(id: number, options?: CallOptions): Promise<DraftDeleted> {
    return this.transport.request('DELETE', path(id), {
      signal: options?.signal,
      alreadyDeleted: () => ({ message: `draft ${id} deleted`, draft_id: id }),
    });
  }
}
