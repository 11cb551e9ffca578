import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The production transport: one URLSession with keep-alive and enough connections per host for
/// concurrent paging. A body larger than `maxBodyBytes` is refused: by its Content-Length before a
/// byte of it is read, or as soon as the bytes read pass the limit.
public final class URLSessionTransport: HTTPTransport {
  public static let defaultMaxBodyBytes = 32 << 20

  private let session: URLSession
  private let delegate: Delegate

  public init(timeout: Duration = .seconds(20), maxConnectionsPerHost: Int = 8, maxBodyBytes: Int = defaultMaxBodyBytes)
  {
    let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = seconds
    configuration.timeoutIntervalForResource = max(seconds * 3, seconds + 30)
    configuration.httpMaximumConnectionsPerHost = max(1, maxConnectionsPerHost)
    configuration.urlCache = nil
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    delegate = Delegate(maxBodyBytes: maxBodyBytes)
    session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
  }

  deinit {
    session.invalidateAndCancel()
  }

  public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    var urlRequest = URLRequest(url: request.url)
    urlRequest.httpMethod = request.method
    urlRequest.httpBody = request.body
    for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
    let task = session.dataTask(with: urlRequest)
    let box = TaskBox(task)
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        delegate.register(task.taskIdentifier, continuation)
        task.resume()
      }
    } onCancel: {
      box.task.cancel()
    }
  }

  private final class TaskBox: @unchecked Sendable {
    let task: URLSessionDataTask
    init(_ task: URLSessionDataTask) { self.task = task }
  }

  private final class Delegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Pending {
      var continuation: CheckedContinuation<HTTPResponse, any Error>
      var response: HTTPURLResponse?
      var body = Data()
      var tooLarge = false
    }

    let maxBodyBytes: Int
    let pending = Mutex<[Int: Pending]>([:])

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    func register(_ id: Int, _ continuation: CheckedContinuation<HTTPResponse, any Error>) {
      pending.withLock { $0[id] = Pending(continuation: continuation) }
    }

    func urlSession(
      _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
      completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
      let tooLarge = response.expectedContentLength > Int64(maxBodyBytes)
      pending.withLock {
        $0[dataTask.taskIdentifier]?.response = response as? HTTPURLResponse
        if tooLarge { $0[dataTask.taskIdentifier]?.tooLarge = true }
      }
      completionHandler(tooLarge ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
      let overLimit = pending.withLock { table -> Bool in
        guard var entry = table[dataTask.taskIdentifier], !entry.tooLarge else { return false }
        if entry.body.count + data.count > maxBodyBytes {
          entry.tooLarge = true
          entry.body = Data()
        } else {
          entry.body.append(data)
        }
        table[dataTask.taskIdentifier] = entry
        return entry.tooLarge
      }
      if overLimit { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
      guard let entry = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
      if entry.tooLarge {
        entry.continuation.resume(throwing: TransportError.bodyTooLarge(limit: maxBodyBytes))
      } else if let error {
        entry.continuation.resume(throwing: Self.translate(error))
      } else if let response = entry.response {
        var headers: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
          if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        entry.continuation.resume(
          returning: HTTPResponse(status: response.statusCode, headers: headers, body: entry.body))
      } else {
        entry.continuation.resume(throwing: TransportError.connectionLost("no HTTP response"))
      }
    }

    static func translate(_ error: any Error) -> any Error {
      guard let urlError = error as? URLError else { return TransportError.failed(String(describing: error)) }
      switch urlError.code {
      case .cancelled: return CancellationError()
      case .timedOut: return TransportError.timedOut
      case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
        return TransportError.cannotConnect(urlError.localizedDescription)
      case .networkConnectionLost, .badServerResponse, .zeroByteResource:
        return TransportError.connectionLost(urlError.localizedDescription)
      default:
        return TransportError.failed(urlError.localizedDescription)
      }
    }
  }
}
