import Testing
@testable import AccordCore
import BusinessTime

/// The order a queue is worked in and the reasons it gives, per preset.
@Suite struct WorkQueueOrderTests {
    typealias Item = WorkQueueOrder.Item

    @Test func theDefaultOrderIsPriorityQueueThenPlanRankThenDueThenArrival() throws {
        var policy = try Presets.policy("plm-group")
        #expect(policy.routing.queueOrder == [.queue, .planRank, .due, .arrival])
        policy = try Presets.policy("plm-group")
        let order = WorkQueueOrder(policy: policy)
        let items = [
            Item(id: "A-1", inPriorityQueue: false, planRank: "highest", priority: "critical", due: 100, arrival: 1),
            Item(id: "A-2", inPriorityQueue: true, planRank: "standard", priority: "low", due: 900, arrival: 2),
            Item(id: "A-3", inPriorityQueue: false, planRank: "highest", priority: "low", due: 50, arrival: 3),
            Item(id: "A-4", inPriorityQueue: false, planRank: "highest", priority: "low", due: nil, arrival: 0),
            Item(id: "A-5", inPriorityQueue: false, planRank: "highest", priority: "low", due: 50, arrival: 3),
            Item(id: "A-6", inPriorityQueue: false, planRank: "higher", priority: "critical", due: 10, arrival: 0),
        ]
        let positions = order.ordered(items.shuffled())
        #expect(positions.map(\.item.id) == ["A-2", "A-3", "A-5", "A-1", "A-4", "A-6"])
        #expect(positions[0].reason == "first: priority queue; ticket priority standard; due 1970-01-01T00:15:00Z; logged 1970-01-01T00:00:02Z")
        #expect(positions[1].reason == "after A-2: standard queue comes after priority queue")
        #expect(positions[2].reason.hasPrefix("after A-3: level on every key"))
        #expect(positions[3].reason == "after A-5: same queue, plan-rank; due 1970-01-01T00:01:40Z comes after due 1970-01-01T00:00:50Z")
        #expect(positions[4].reason == "after A-1: same queue, plan-rank; no running clock comes after due 1970-01-01T00:01:40Z")
        #expect(positions[5].reason == "after A-4: same queue; ticket priority higher comes after ticket priority highest")
    }

    @Test func proPlusWorksThePriorityQueueFirstThenInTheOrderReceived() throws {
        let order = WorkQueueOrder(policy: try Presets.policy("pro-plus"))
        let positions = order.ordered([
            Item(id: "P-1", inPriorityQueue: false, planRank: "standard", priority: nil, due: 10, arrival: 1),
            Item(id: "P-2", inPriorityQueue: true, planRank: "standard", priority: nil, due: 99, arrival: 5),
            Item(id: "P-3", inPriorityQueue: false, planRank: "standard", priority: nil, due: 5, arrival: 2),
        ])
        #expect(positions.map(\.item.id) == ["P-2", "P-1", "P-3"], "the due instant is not a key of Pro Plus's order")
    }

    @Test func plexRanksPlatinumBeforeGoldBeforeSilver() throws {
        let plex = try Presets.policy("plex")
        let ranks = plex.plans.map { ($0.id, $0.entitlements.ticketPriority ?? "standard") }
        let order = WorkQueueOrder(policy: plex)
        let positions = order.ordered(ranks.enumerated().map { index, plan in
            Item(id: plan.0, inPriorityQueue: false, planRank: plan.1, priority: "p3", due: Int64(100 - index), arrival: Int64(index))
        })
        #expect(positions.map(\.item.id) == ["platinum", "gold", "silver"])
        #expect(WorkQueueOrder.rank(ofTicketPriority: "highest") < WorkQueueOrder.rank(ofTicketPriority: "higher"))
        #expect(WorkQueueOrder.rank(ofTicketPriority: nil) == WorkQueueOrder.rank(ofTicketPriority: "standard"))
    }

    @Test func plixerWorksBySeverityFirst() throws {
        let order = WorkQueueOrder(policy: try Presets.policy("plixer"))
        let positions = order.ordered([
            Item(id: "X-1", inPriorityQueue: false, planRank: "standard", priority: "severity-3", due: 10, arrival: 1),
            Item(id: "X-2", inPriorityQueue: false, planRank: "standard", priority: "severity-1", due: 500, arrival: 2),
        ])
        #expect(positions.map(\.item.id) == ["X-2", "X-1"])
        #expect(positions[1].reason == "after X-2: priority severity-3 comes after priority severity-1")
    }
}
