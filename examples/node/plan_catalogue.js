'use strict'
// Plan a small catalogue: weekly demand histories + item master -> forecasts -> reorder orders.
// Usage: node examples/node/plan_catalogue.js [skus=8]
//
// In your project write `require('forestock')`; this example loads the repository checkout.
const forestock = require('../../bindings-node')

/** Deterministic weekly demand of three kinds: seasonal, smooth and intermittent. */
function weeklyDemand(k, weeks = 104) {
  return Float64Array.from({ length: weeks }, (_, t) => {
    const wobble = ((t * 13 + k * 7) % 9) - 4
    if (k % 3 === 0) return Math.max(0, Math.round(60 + 20 * Math.sin((2 * Math.PI * t) / 52) + wobble)) // seasonal
    if (k % 3 === 1) return 25 + wobble // smooth
    return (t + k) % 6 === 0 ? 4 + ((t + k) % 5) : 0 // intermittent
  })
}

async function main() {
  const count = Math.max(1, Number(process.argv[2] ?? 8))
  const skus = Array.from({ length: count }, (_, k) => `SKU-${String(k + 1).padStart(3, '0')}`)
  const histories = skus.map((sku, k) => ({ sku, demand: weeklyDemand(k) }))
  const items = skus.map((sku, k) => ({
    sku,
    unitCost: 5 + 3 * k,
    leadTime: 2 + (k % 3),
    leadTimeSd: 0.5,
    onHand: [20, 400, 3][k % 3] * (k % 2 === 0 ? 1 : 2),
    moq: 10,
    orderingCost: 25,
    holdingCostRate: 0.004,
  }))

  const { plans, failures, stats } = await forestock.plan(histories, items, { horizon: 8, levels: [90], model: { model: 'autoModel', seasonLength: 52 } })
  console.log(`planned ${stats.planned} of ${stats.skus} SKUs, ${stats.orders} orders worth ${stats.orderValue.toFixed(2)}`)
  const order = { urgent: 0, high: 1, medium: 2, low: 3 }
  const orders = plans.filter((p) => p.recommendation.shouldReorder)
    .sort((a, b) => order[a.recommendation.priority] - order[b.recommendation.priority] || a.sku.localeCompare(b.sku))
  for (const p of orders) {
    const r = p.recommendation
    console.log(`ORDER ${p.sku} qty=${r.orderQuantity} priority=${r.priority} class=${p.abcClass} pattern=${p.demandPattern} model=${p.model} position=${r.inventoryPosition} reorderPoint=${r.reorderPoint.toFixed(1)}`)
  }
  for (const p of plans.filter((p) => !p.recommendation.shouldReorder)) console.log(`hold  ${p.sku} position=${p.recommendation.inventoryPosition} reorderPoint=${p.recommendation.reorderPoint.toFixed(1)}`)
  for (const f of failures) console.log(`FAILED ${f.sku} ${f.code}: ${f.message}`)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
