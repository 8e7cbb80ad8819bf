import {
  CastNode,
  DataTypeNode,
  type KyselyPlugin,
  LimitNode,
  OffsetNode,
  type OperationNode,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/** Wraps each `LIMIT` and `OFFSET` value in `cast(… as integer)`. */
class CastLimits extends OperationNodeTransformer {
  protected override transformLimit(node: LimitNode): LimitNode {
    return LimitNode.create(asInteger(this.transformNode(node.limit)));
  }

  protected override transformOffset(node: OffsetNode): OffsetNode {
    return OffsetNode.create(asInteger(this.transformNode(node.offset)));
  }
}

const asInteger = (value: OperationNode) => CastNode.create(value, DataTypeNode.create('integer'));

/**
 * Makes SQLite keep its prepared plan for a query whose `LIMIT` or `OFFSET` is a bound
 * parameter, as Kysely writes every `.limit(n)`. SQLite (3.53 here) re-prepares such a statement
 * on the first step after every new binding of that parameter, so a reused statement was parsed
 * and planned again on each run: 10–20 times the cost of the statement itself in measurements
 * of the claim and lease-expiry queries. The same parameter inside `cast(? as integer)` leaves
 * the plan alone and keeps one SQL text per query shape.
 */
export class SqliteBoundLimits implements KyselyPlugin {
  readonly #transformer = new CastLimits();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
