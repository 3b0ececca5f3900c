package dev.pgcapture.controller;

import dev.pgcapture.core.TableName;
import dev.pgcapture.proto.AgentGrpc;
import dev.pgcapture.proto.TableInfoRequest;
import dev.pgcapture.proto.TableInfoResponse;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The tables of a URI's replica, as its agent's {@code TableInfo} describes them. Errors are
 * statuses for the controller's caller: NOT_FOUND naming a missing table, UNAVAILABLE when the
 * agent cannot be reached, FAILED_PRECONDITION when the URI has no agent to ask.
 */
final class ReplicaTables {

    private final AgentLookup agents;
    private final Duration timeout;

    ReplicaTables(AgentLookup agents, Duration timeout) {
        this.agents = agents;
        this.timeout = timeout;
    }

    /** Each table's size in pages; every table must exist. */
    Map<TableName, Long> pages(String uri, Collection<TableName> tables) throws StatusException {
        AgentLookup.Route route = agents.find(uri);
        if (route instanceof AgentLookup.NoAgent none) {
            throw Status.FAILED_PRECONDITION.withDescription("cannot plan chunks: " + none.reason()).asException();
        }
        return pages(uri, (AgentLookup.Agent) route, tables);
    }

    /**
     * Checks that every table exists on the URI's replica, when the URI has an agent to ask.
     *
     * @return whether the tables were checked (false: the URI has no agent)
     */
    boolean check(String uri, Collection<TableName> tables) throws StatusException {
        if (agents.find(uri) instanceof AgentLookup.Agent agent) {
            pages(uri, agent, tables);
            return true;
        }
        return false;
    }

    private Map<TableName, Long> pages(String uri, AgentLookup.Agent agent, Collection<TableName> tables) throws StatusException {
        Map<TableName, Long> pages = new LinkedHashMap<>();
        for (TableName table : tables) {
            TableInfoResponse info;
            try {
                info = AgentGrpc.newBlockingStub(agent.channel())
                        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .tableInfo(TableInfoRequest.newBuilder().setSchema(table.schema()).setTable(table.table()).build());
            } catch (StatusRuntimeException e) {
                throw agentFailed(uri, agent, table, e.getStatus());
            }
            if (!info.getExists()) {
                throw Status.NOT_FOUND.withDescription("no table " + table + " on the replica of URI " + uri).asException();
            }
            pages.put(table, info.getPages());
        }
        return pages;
    }

    private StatusException agentFailed(String uri, AgentLookup.Agent agent, TableName table, Status status) {
        String where = "the agent of URI " + uri + " at " + agent.address();
        return switch (status.getCode()) {
            case UNAVAILABLE -> Status.UNAVAILABLE.withDescription("cannot reach " + where + ": " + status.getDescription()).asException();
            case DEADLINE_EXCEEDED -> Status.UNAVAILABLE.withDescription(where + " did not describe " + table + " within " + timeout.toSeconds() + " s").asException();
            default -> status.withDescription(where + " could not describe " + table + ": " + status.getDescription()).asException();
        };
    }
}
