import { benchSteps } from '../../../scripts/bench'

describe('npm run bench: the benches whose npm scripts exist, in order', () => {
  test('every bench present, the server one in quick mode by environment', () => {
    const scripts = { 'bench:ui': 'x', 'bench:size': 'x', 'bench:bitrate': 'x', 'bench:server': 'x', 'bench:scale': 'x', 'bench:e2e': 'x', test: 'x' }
    const { steps, missing } = benchSteps(scripts)
    expect(steps.map((s) => s.script)).toEqual(['bench:size', 'bench:ui', 'bench:bitrate', 'bench:server', 'bench:scale', 'bench:e2e'])
    expect(steps.find((s) => s.name === 'server')?.env).toEqual({ BENCH_QUICK: '1' })
    expect(missing).toEqual([])
  })

  test('a quick server script wins; missing benches are listed, not run', () => {
    const { steps, missing } = benchSteps({ 'bench:server': 'x', 'bench:server:quick': 'x', 'bench:ui': 'x' })
    expect(steps).toEqual([
      { name: 'ui', script: 'bench:ui', env: {} },
      { name: 'server', script: 'bench:server:quick', env: {} },
    ])
    expect(missing).toEqual(['size', 'bitrate', 'scale', 'e2e'])
  })

  test('names pick benches; an unknown name is an error', () => {
    expect(benchSteps({ 'bench:ui': 'x', 'bench:size': 'x' }, ['ui']).steps.map((s) => s.script)).toEqual(['bench:ui'])
    expect(() => benchSteps({}, ['nope'])).toThrow('unknown bench nope')
  })
})
