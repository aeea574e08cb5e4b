fn main() -> std::process::ExitCode {
    ai_agent::commands::run()
}
